"""The active fault rules of the running mock: which requests they hit, seeded."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from mockapi.errors import BadRequest
from mockapi.http.faults import MAX_RULES, MAX_TOTAL_DELAY_MS, FaultRule, Outcome


@dataclass
class _ActiveRule:
    id: int
    rule: FaultRule
    remaining: int | None
    # Error diffusion: hits over the first N matches stay within 1 of probability x N.
    carry: float


class FaultRules:
    """The active rules; seeded, so the same requests meet the same faults on every run."""

    def __init__(self, seed: int, rules: Iterable[FaultRule] = ()) -> None:
        self._seed = seed
        self._random = random.Random(seed)
        self._rules: list[_ActiveRule] = []
        self._next_id = 1
        for rule in rules:
            self.add(rule)

    def __bool__(self) -> bool:
        return bool(self._rules)

    def add(self, rule: FaultRule) -> int:
        """Activate a rule; returns its id. Past MAX_RULES active rules, a 400 saying so."""
        if len(self._rules) >= MAX_RULES:
            raise BadRequest(
                f"at most {MAX_RULES} fault rules can be active at once; remove one "
                "(DELETE /_mockapi/faults/{id}) or all (DELETE /_mockapi/faults) first"
            )
        rule_id = self._next_id
        self._next_id += 1
        # The seed sets where in the cycle a rule starts, so seeds differ but every run
        # with the same seed hits the same requests.
        self._rules.append(_ActiveRule(rule_id, rule, rule.count, self._random.random()))
        return rule_id

    def remove(self, rule_id: int) -> bool:
        """Deactivate one rule; False if there was none with that id."""
        before = len(self._rules)
        self._rules = [r for r in self._rules if r.id != rule_id]
        return len(self._rules) != before

    def listing(self) -> list[dict[str, Any]]:
        """The active rules with their ids and remaining counts."""
        return [
            {"id": r.id, **r.rule.model_dump(exclude_none=True), "remaining": r.remaining}
            for r in list(self._rules)
        ]

    def decide(self, same_project: Callable[[str], bool]) -> Outcome:
        """Apply the rules to one request; `same_project` says whether a rule's project matches."""
        outcome = Outcome()
        for active in list(self._rules):
            rule = active.rule
            if rule.project is not None and not same_project(rule.project):
                continue
            if rule.probability < 1.0:
                active.carry += rule.probability
                if active.carry < 1.0:
                    continue
                active.carry -= 1.0
            if rule.delayMaxMs is not None:
                outcome.delay_s += self._random.uniform(rule.delayMs, rule.delayMaxMs) / 1000
            else:
                outcome.delay_s += rule.delayMs / 1000
            if outcome.status is None and not outcome.drop:
                outcome.drop = rule.drop
                outcome.status = rule.status
            if active.remaining is not None:
                active.remaining -= 1
                if active.remaining == 0:
                    self._rules.remove(active)
        outcome.delay_s = min(outcome.delay_s, MAX_TOTAL_DELAY_MS / 1000)
        return outcome
