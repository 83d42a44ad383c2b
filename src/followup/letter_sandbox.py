"""A Jinja2 sandbox with a budget: a letter is a page, drafted in a moment.

Jinja2's SandboxedEnvironment stops a template from reaching Python's
internals, but not from running for ever or filling the memory
(`'x' * 10**9`, nested loops, a string doubled forty times). This module
bounds both, without threads:

- values: `*`, `**`, `+`, `%` and `~` refuse a result longer than the output
  cap before it is built; a call or filter (`center`, `ljust`, `format`...)
  refuses a number larger than the cap and a text result longer than it;
  `range` counts at most RANGE_ITEMS;
- output: the letter is streamed with `generate()` and stops at the cap; every
  `{{ ... }}` (in a loop, a macro or a `{% set %}` block too) is counted
  against a budget of WORK_FACTOR pages;
- memory: while it runs, the process may grow by Caps.memory at most (Linux),
  for what the checks above do not foresee;
- time: the clock is checked at every chunk, every `{{ ... }}` and every turn
  of `range`, and in the main thread a SIGALRM timer interrupts a loop that
  neither outputs nor counts (the previous handler and timer are restored).

Imported only when a letter is drafted (it imports Jinja2).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from jinja2 import FileSystemLoader, PrefixLoader, StrictUndefined, Template
from jinja2 import nodes as jinja_nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import Environment
from jinja2.loaders import ChoiceLoader
from jinja2.sandbox import SandboxedEnvironment

BUILTIN_PREFIX = "builtin"  # `{% extends "builtin:mail.txt.j2" %}`
RANGE_ITEMS = 1000
WORK_FACTOR = 16
_FORMAT_NUMBER = re.compile(r"%[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_CLOCK_EVERY = 64


class BudgetExceeded(Exception):
    """A template went over its time or size budget; the message says which."""


@dataclass(frozen=True)
class Caps:
    """How much a template may write and how long it may take."""

    max_chars: int = 64 * 1024
    seconds: float = 3.0
    memory: int = 256 * 1024 * 1024  # more address space than the process had, while rendering

    @property
    def page(self) -> str:
        return f"{self.max_chars // 1024} KiB" if self.max_chars >= 1024 else f"{self.max_chars} characters"


class _SizedLoader(FileSystemLoader):
    """A folder's templates, each at most `max_bytes` long (an include counts too)."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        super().__init__(str(folder))
        self.max_bytes = max_bytes

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if len(source.encode("utf-8")) > self.max_bytes:
            raise BudgetExceeded(f"{filename}: larger than {self.max_bytes // 1024} KiB; a letter is a page")
        return source, filename, uptodate


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles `a ~ b` to a call that checks the length before joining."""

    def visit_Concat(self, node: jinja_nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class _TimedRange:
    """`range` for templates: at most RANGE_ITEMS numbers, the clock checked as it counts."""

    def __init__(self, environment: BoundedEnvironment, numbers: range) -> None:
        self._environment = environment
        self._numbers = numbers

    def __len__(self) -> int:
        return len(self._numbers)

    def __getitem__(self, index: int) -> int:
        return self._numbers[index]

    def __contains__(self, value: object) -> bool:
        return value in self._numbers

    def __iter__(self) -> Iterator[int]:
        for number in self._numbers:
            self._environment.tick()
            yield number

    def __reversed__(self) -> Iterator[int]:
        for number in reversed(self._numbers):
            self._environment.tick()
            yield number


class BoundedEnvironment(SandboxedEnvironment):
    """SandboxedEnvironment with the caps of `Caps` on values, output and time."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%", "//"})

    def __init__(self, folder: Path, builtin: Path, caps: Caps, max_template_bytes: int) -> None:
        loader = ChoiceLoader(
            [
                _SizedLoader(folder, max_template_bytes),
                PrefixLoader({BUILTIN_PREFIX: _SizedLoader(builtin, max_template_bytes)}, delimiter=":"),
            ]
        )
        super().__init__(
            loader=loader,
            undefined=StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            finalize=self._count_output,
        )
        self.caps = caps
        self.deadline = float("inf")
        self.written = 0
        self._ticks = 0
        self.globals["range"] = self._range
        self.filters = {name: self._bounded(function) for name, function in self.filters.items()}

    # --- the budget ---------------------------------------------------------------

    def start(self) -> None:
        self.deadline = time.monotonic() + self.caps.seconds
        self.written = 0
        self._ticks = 0

    def tick(self) -> None:
        self._ticks += 1
        if self._ticks % _CLOCK_EVERY == 0:
            self.check_clock()

    def check_clock(self) -> None:
        if time.monotonic() > self.deadline:
            raise BudgetExceeded(self.too_slow)

    @property
    def too_slow(self) -> str:
        return f"took longer than {self.caps.seconds:g} seconds to fill in; a letter is a page"

    def _too_long(self, what: str = "makes a text") -> BudgetExceeded:
        return BudgetExceeded(f"{what} longer than {self.caps.page}; a letter is a page")

    def _check_size(self, value: Any) -> Any:
        if isinstance(value, (str, list, tuple)) and len(value) > self.caps.max_chars:
            raise self._too_long()
        return value

    def _check_number(self, value: Any) -> None:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > self.caps.max_chars:
            raise BudgetExceeded(f"uses the number {value}, larger than a letter needs (at most {self.caps.max_chars})")

    def _count_output(self, value: Any) -> Any:
        """Every `{{ ... }}` passes here, wherever its text goes (a loop, a macro, a block)."""
        self.written += len(value) if isinstance(value, str) else 1
        if self.written > WORK_FACTOR * self.caps.max_chars:
            raise self._too_long("writes a text")
        self.tick()
        return value

    # --- the bounded operations ------------------------------------------------------

    def _range(self, *args: int) -> _TimedRange:
        numbers = range(*args)
        if len(numbers) > RANGE_ITEMS:
            raise BudgetExceeded(f"counts {len(numbers)} numbers with range; a letter needs at most {RANGE_ITEMS}")
        return _TimedRange(self, numbers)

    def bounded_concat(self, parts: tuple[Any, ...]) -> str:
        texts = [str(part) for part in parts]
        if sum(len(text) for text in texts) > self.caps.max_chars:
            raise self._too_long()
        return "".join(texts)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        sized = (str, list, tuple)
        if operator == "*":
            count, sequence = (right, left) if isinstance(left, sized) else (left, right)
            if isinstance(sequence, sized) and isinstance(count, int) and len(sequence) * count > self.caps.max_chars:
                raise self._too_long()
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):
            if right > 0 and abs(left) > 1 and right * abs(left).bit_length() > 8 * self.caps.max_chars:
                raise BudgetExceeded(f"computes {left} ** {right}, a number larger than a letter needs")
        elif operator == "+" and isinstance(left, sized) and isinstance(right, sized):
            if len(left) + len(right) > self.caps.max_chars:
                raise self._too_long()
        elif operator == "%" and isinstance(left, str):
            for width, precision in _FORMAT_NUMBER.findall(left):
                for number in (width, precision):
                    if number == "*" or (number and int(number) > self.caps.max_chars):
                        raise BudgetExceeded(f"formats with a width larger than {self.caps.page}; a letter is a page")
        return self._check_size(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        for value in (*args, *kwargs.values()):
            __self._check_number(value)
        __self.tick()
        return __self._check_size(super().call(__context, __obj, *args, **kwargs))

    def _bounded(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """A filter that refuses huge numbers (`center(10**9)`) and huge results."""

        def bounded(*args: Any, **kwargs: Any) -> Any:
            for value in (*args[1:], *kwargs.values()):
                self._check_number(value)
            return self._check_size(function(*args, **kwargs))

        for attribute in ("jinja_pass_arg", "__name__", "__doc__"):
            if hasattr(function, attribute):
                setattr(bounded, attribute, getattr(function, attribute))
        return bounded

    # --- rendering ------------------------------------------------------------------------

    def render(self, template: Template, values: dict[str, Any]) -> str:
        """The template's text, streamed and counted, within the caps; raises BudgetExceeded."""
        self.start()
        chunks: list[str] = []
        size = 0
        try:
            with _Alarm(self.caps.seconds, self.too_slow), _memory_cap(self.caps.memory):
                for chunk in template.generate(values):
                    size += len(chunk)
                    if size > self.caps.max_chars:
                        raise self._too_long("writes a letter")
                    chunks.append(chunk)
                    self.check_clock()
        except MemoryError:
            raise BudgetExceeded("needs more memory than a letter does; a letter is a page") from None
        return "".join(chunks)


@contextlib.contextmanager
def _memory_cap(headroom: int) -> Iterator[None]:
    """Let the process grow by at most `headroom` bytes while a template runs, so that
    what the checks above do not foresee (`join` of a long list of long texts) fails
    with MemoryError instead of filling the machine. Linux only (where /proc tells
    the process's size); the previous limit is put back."""
    try:
        import resource

        pages = int(Path("/proc/self/statm").read_text().split()[0])
        size = pages * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, ValueError, IndexError):
        yield
        return
    limit = size + headroom
    if soft != resource.RLIM_INFINITY and soft <= limit:
        yield  # already as tight
        return
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


class _Alarm:
    """Interrupt the render after `seconds` with SIGALRM, in the main thread where
    signals are delivered; elsewhere (or without SIGALRM) the clock checks alone
    bound the time. The previous handler and timer are put back."""

    def __init__(self, seconds: float, message: str) -> None:
        self.seconds = seconds
        self.message = message
        self.armed = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        self.previous: Any = None

    def _fire(self, signum: int, frame: FrameType | None) -> None:
        raise BudgetExceeded(self.message)

    def __enter__(self) -> None:
        if self.armed:
            self.previous = signal.signal(signal.SIGALRM, self._fire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds + 0.5)

    def __exit__(self, *exc: object) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
