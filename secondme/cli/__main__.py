from secondme.cli import main

main()
