"""Trust: a Beta(alpha, beta) belief per memory that it is true and safe to use.

The mean alpha / (alpha + beta) is the trust shown to the user and used for ranking. Priors depend
on where a memory came from: what the user typed is believed more than what the assistant said.
"""

from __future__ import annotations

SOURCE_PRIORS: dict[str, tuple[float, float]] = {
    "user": (8.0, 1.0),  # typed on purpose: `secondme remember`, /remember
    "chat_user": (4.0, 1.0),  # said in passing in a chat
    "import": (3.0, 1.0),  # notes and exports brought in
    "assistant": (1.0, 1.0),  # the model's own output
    "tool": (1.0, 2.0),  # web pages, tool results
}


def prior(source: str) -> tuple[float, float]:
    return SOURCE_PRIORS[source]


def mean(alpha: float, beta: float) -> float:
    return alpha / (alpha + beta)
