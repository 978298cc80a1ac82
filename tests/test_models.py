"""Models beyond the bundled one: chat templates of the common families, Ollama's models."""

from __future__ import annotations

import json
import shutil

import pytest

from secondme.model.llm import ChatTemplate, LocalModel
from secondme.model.registry import bundled_model, ollama_models, resolve

MESSAGES = [
    {"role": "system", "content": "You are secondme."},
    {"role": "user", "content": "Hello there"},
    {"role": "assistant", "content": "Hi!"},
    {"role": "user", "content": "What is my sister called?"},
]

# Reduced but faithful versions of the families' templates (the parts that differ: role markers,
# a system role or none, enforced alternation).
TEMPLATES = {
    "llama3": (
        "{% for message in messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' %}"
        "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
        "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}",
        "<|start_header_id|>assistant<|end_header_id|>",
    ),
    "qwen": (
        "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}{% endfor %}"
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}",
        "<|im_start|>assistant",
    ),
    "gemma": (
        "{{ bos_token }}{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}"
        "{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
        "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
        "{% if message['role'] == 'assistant' %}{% set role = 'model' %}{% else %}{% set role = message['role'] %}{% endif %}"
        "{{ '<start_of_turn>' + role + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}{% endfor %}"
        "{% if add_generation_prompt %}{{ '<start_of_turn>model\\n' }}{% endif %}",
        "<start_of_turn>model",
    ),
    "phi3": (
        "{% for message in messages %}{% if message['role'] == 'system' %}{{ '<|system|>\\n' + message['content'] + '<|end|>\\n' }}"
        "{% elif message['role'] == 'user' %}{{ '<|user|>\\n' + message['content'] + '<|end|>\\n' }}"
        "{% elif message['role'] == 'assistant' %}{{ '<|assistant|>\\n' + message['content'] + '<|end|>\\n' }}{% endif %}{% endfor %}"
        "{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% else %}{{ eos_token }}{% endif %}",
        "<|assistant|>",
    ),
    "mistral": (
        "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
        "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
        "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
        "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token }}"
        "{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}",
        "[/INST]",
    ),
}


@pytest.mark.parametrize("family", sorted(TEMPLATES))
def test_every_family_gets_the_whole_conversation(family):
    template, opens_answer = TEMPLATES[family]
    prompt = ChatTemplate(template, eos_token="</s>", bos_token="<s>", stop_token_ids=[2])(messages=MESSAGES).prompt
    for text in ("You are secondme.", "Hello there", "Hi!", "What is my sister called?"):
        assert text in prompt
    assert prompt.rstrip().endswith(opens_answer), "the prompt ends where the model's answer begins"
    assert prompt.index("You are secondme.") < prompt.index("Hello there") < prompt.index("What is my sister called?")


def fake_ollama(root, name: str, tag: str, blob_source):
    digest = "sha256-" + "ab" * 32
    (root / "blobs").mkdir(parents=True)
    shutil.copy(blob_source, root / "blobs" / digest)
    manifest = root / "manifests" / "registry.ollama.ai" / "library" / name / tag
    manifest.parent.mkdir(parents=True)
    manifest.write_text(json.dumps({"layers": [
        {"mediaType": "application/vnd.ollama.image.template", "digest": "sha256:" + "cd" * 32},
        {"mediaType": "application/vnd.ollama.image.model", "digest": "sha256:" + "ab" * 32},
    ]}))
    return root / "blobs" / digest


def test_ollama_models_are_listed_and_used_by_name(cli, tmp_path, monkeypatch):
    blob = fake_ollama(tmp_path / "ollama", "smollm2", "135m", bundled_model())
    monkeypatch.setenv("OLLAMA_MODELS", str(tmp_path / "ollama"))
    assert ollama_models() == {"ollama:smollm2:135m": blob}
    assert resolve("ollama:smollm2:135m") == blob
    listed = json.loads(cli("model", "list", "--json").stdout)
    assert {"name": "ollama:smollm2:135m", "origin": "ollama"}.items() <= next(e for e in listed if e["origin"] == "ollama").items()
    used = cli("model", "use", "ollama:smollm2:135m")
    assert used.exit_code == 0, used.output
    assert json.loads(cli("model", "info", "--json").stdout)["path"] == str(blob)
    missing = cli("model", "use", "ollama:llama3")
    assert missing.exit_code == 1 and "Ollama has no model 'llama3:latest'" in missing.output
    model = LocalModel(blob)
    model.load()
    try:
        assert model.name != blob.stem and "smollm2" in model.name.lower(), "a blob is named from its header"
    finally:
        model.close()
    assert cli("model", "use", "bundled").exit_code == 0
