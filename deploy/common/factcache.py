"""Facts read together and kept while nothing changes, so a no-op converge asks each question once.

pyinfra 3 runs a fact's command on every `get_fact`, one SSH round trip each, one operation after
the other: most of a no-op converge's time (README, Benchmarks: where the time went). Two
things cut it without changing what any operation decides:

- kept: a fact's answer is kept per host until that host runs any other command or receives a
  file (anything that may change it). So the package list is read once, not by every
  apt.packages, and a first converge, which changes something in most operations, reads again.
- read together: the facts the deploy's file, directory, secret, service and nginx operations will
  ask for are wanted when the deploy is planned (`want`); the first time one of them is needed,
  it and the next ones wanted (up to BATCH) are read in one command, each by its pyinfra fact
  class's own command and `process()`: the same answer it would have given alone.

Only the fact classes in KEPT are kept: pure reads of files, packages and units, and a concern's
own facts marked `@kept` (pure reads too: a fact that waits or samples something moving must not be).
"""

from __future__ import annotations

import copy
import re

from pyinfra.api import StringCommand
from pyinfra.api.facts import _make_command
from pyinfra.api.host import Host
from pyinfra.facts.deb import DebPackages
from pyinfra.facts.files import Directory, File, FindFiles, Sha1File, Sha256File
from pyinfra.facts.systemd import SystemdEnabled, SystemdStatus

from deploy.common.facts import NonEmptyFile, PrivateDigest, RenderState
from deploy.common.shell import q

KEPT = {
    DebPackages,
    Directory,
    File,
    FindFiles,
    Sha1File,
    Sha256File,
    SystemdEnabled,
    SystemdStatus,
    NonEmptyFile,
    PrivateDigest,
    RenderState,
}

# Facts read in one command at most: a first converge, which changes something in most
# operations, reads again after each change, so fewer than a no-op's all.
BATCH = 24
_MARK = "@@rsm-fact"
_MARK_LINE = re.compile(rf"^{_MARK} (\d+) (\d+)$")

_kept: dict[str, dict] = {}  # host name -> {key: answer}
_wanted: dict[str, dict] = {}  # host name -> {key: (fact class, kwargs)}, not yet asked for
_reading: set[str] = set()  # hosts running a fact's command (which changes nothing)


def kept(cls):
    """Class decorator: this fact's answers are kept like pyinfra's file facts (see KEPT)."""
    KEPT.add(cls)
    return cls


def _frozen(value):
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


def _key(cls, kwargs: dict):
    return cls, _frozen(kwargs)


def want(host: Host, cls, **kwargs) -> None:
    """The deploy will ask `host` for this fact (keyword arguments as the operation passes them)."""
    if cls in KEPT:
        _wanted.setdefault(host.name, {})[_key(cls, kwargs)] = (cls, kwargs)


def batch_command(facts: list) -> tuple[str, list]:
    """One shell command printing each (fact class, kwargs)'s output, each followed by a mark with
    its index and exit status (an output's trailing newlines are trimmed: as lines they are none),
    and the fact instances that made them (a fact may keep its arguments for process())."""
    parts, instances = [], []
    for index, (cls, kwargs) in enumerate(facts):
        fact = cls()
        instances.append(fact)
        command = _make_command(fact.command, dict(kwargs))
        if isinstance(command, StringCommand):
            command = command.get_raw_value()
        requires = _make_command(fact.requires_command, dict(kwargs))
        if requires:
            command = f"if command -v {q(requires)} >/dev/null 2>&1; then {command}; else exit 127; fi"
        parts.append(
            f'out=$( ( {command} ) 2>/dev/null ); rc=$?; [ -n "$out" ] && printf "%s\\n" "$out"; '
            f'echo "{_MARK} {index} $rc"'
        )
    return "\n".join(parts), instances


def split_batch(instances: list, lines: list[str]) -> dict[int, object]:
    """Each fact's answer by index from batch_command's output: process() of its lines when it
    exited 0 with output, its default when it exited 0 without; absent when it failed (it is then
    asked alone, as pyinfra would, to report the failure its own way)."""
    answers: dict[int, object] = {}
    block: list[str] = []
    for line in lines:
        mark = _MARK_LINE.match(line)
        if not mark:
            block.append(line)
            continue
        index, status = int(mark.group(1)), int(mark.group(2))
        fact = instances[index]
        if status == 0:
            answers[index] = fact.process(block) if block else fact.default()
        block = []
    return answers


def _read_wanted(host: Host, key) -> None:
    """Read `key` and the wanted facts planned after it (up to BATCH) in one command; those
    planned before it were skipped (an operation's `_if`) and are no longer wanted."""
    wanted, kept = _wanted[host.name], _kept.setdefault(host.name, {})
    keys = list(wanted)
    position = keys.index(key)
    for stale in keys[:position]:
        del wanted[stale]
    facts = [wanted[k] for k in keys[position:] if k not in kept][:BATCH]
    command, instances = batch_command(facts)
    _reading.add(host.name)
    try:
        ok, output = host.run_shell_command(StringCommand(command))
    finally:
        _reading.discard(host.name)
    if not ok:
        return
    for index, answer in split_batch(instances, output.stdout_lines).items():
        cls, kwargs = facts[index]
        kept[_key(cls, kwargs)] = answer


def install() -> None:
    """Keep and batch facts for this process's deploy (once)."""
    if getattr(Host, "_rsm_factcache", False):
        return
    original_get_fact = Host.get_fact
    original_run = Host.run_shell_command
    original_put = Host.put_file

    def get_fact(self, cls, *args, **kwargs):
        if cls not in KEPT or args or any(name.startswith("_") for name in kwargs):
            return _read(self, original_get_fact, cls, args, kwargs)
        key = _key(cls, kwargs)
        kept = _kept.setdefault(self.name, {})
        if key not in kept and key in _wanted.get(self.name, {}):
            _read_wanted(self, key)
            kept = _kept[self.name]
        if key not in kept:
            kept[key] = _read(self, original_get_fact, cls, args, kwargs)
        _wanted.get(self.name, {}).pop(key, None)
        # a copy: an operation may change what it was given
        return copy.deepcopy(kept[key])

    def run_shell_command(self, *args, **kwargs):
        if self.name not in _reading:
            _kept.pop(self.name, None)
        return original_run(self, *args, **kwargs)

    def put_file(self, *args, **kwargs):
        _kept.pop(self.name, None)
        return original_put(self, *args, **kwargs)

    Host.get_fact = get_fact
    Host.run_shell_command = run_shell_command
    Host.put_file = put_file
    Host._rsm_factcache = True


def _read(host: Host, original_get_fact, cls, args, kwargs):
    _reading.add(host.name)
    try:
        return original_get_fact(host, cls, *args, **kwargs)
    finally:
        _reading.discard(host.name)
