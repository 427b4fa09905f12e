"""A progress bar for long work (`import`, `sync`) on a terminal: orders done (of how many, once
known), orders a second, time left. It moves on the counts the intake service reports
(`on_progress`), drawn by rich on stderr; with --json, or when stdout or stderr is not a terminal,
there is no bar and nothing else is written."""
from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeRemainingColumn
from rich.text import Text

from shopledger.services.intake import Progress as Done


def on_a_terminal() -> bool:
    return sys.stdout.isatty() and sys.stderr.isatty()


class RateColumn(ProgressColumn):
    """Orders a second over the last half minute (rich's own estimate, which time left uses too)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} orders/s" if speed else "… orders/s", style="progress.data.speed")


class PagesColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        pages = task.fields.get("pages")
        return Text(f"{pages:,} pages" if pages else "")


class OrdersBar:
    """`with OrdersBar(show, "import orders.ndjson") as bar: take_orders(..., on_progress=bar)`;
    `bar.count_in_background(lambda: count_orders(path))` gives it a total when one is known."""

    def __init__(self, show: bool, description: str, *, pages: bool = False):
        self.show = show
        self._progress: Progress | None = None
        if show:
            columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("orders"),
                       RateColumn(), TextColumn("time left"), TimeRemainingColumn()]
            if pages:
                columns.insert(4, PagesColumn())
            self._progress = Progress(*columns, console=Console(stderr=True), refresh_per_second=4,
                                      speed_estimate_period=30)
            self._task = self._progress.add_task(description, total=None, pages=0)

    def __enter__(self) -> OrdersBar:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, kind: type | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if self._progress is None:
            return
        if error is None:  # the end: full, whatever the count said (or if nothing could count)
            self._progress.update(self._task, total=self._progress.tasks[0].completed)
        self._progress.stop()

    def __call__(self, done: Done) -> None:
        if self._progress is not None:
            known = {"total": done.expected} if done.expected is not None and done.expected >= done.done else {}
            self._progress.update(self._task, completed=done.done, pages=done.pages, **known)

    def count_in_background(self, count: Callable[[], int | None]) -> None:
        """The total, counted on a thread while the import runs (a big JSON file takes seconds)."""
        if self._progress is None:
            return

        def counted() -> None:
            total = count()
            if total and self._progress is not None:
                self._progress.update(self._task, total=total)

        threading.Thread(target=counted, name="count-orders", daemon=True).start()
