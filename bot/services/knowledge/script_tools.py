"""What the suggestion card and the brief need from retrieval: the scripts library and the situation detector.

Neither needs the vector index. Opening the full retrieval stack (`app.retrieval()`) loads the embedder and, on a
fresh install, embeds the whole corpus into Chroma — minutes on a small server. So `script_tools(app)` returns the
stack when something (the knowledge base, a script upload, the warm-up) has already opened it, since it keeps
uploaded scripts live; otherwise the two light parts are read straight from the files, once per App, in a quarter
of a second.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from bot.services.knowledge.scripts import ScriptLibrary
from bot.services.knowledge.situations import SituationDetector

if TYPE_CHECKING:
    from bot.app import App


class ScriptTools(Protocol):
    @property
    def library(self) -> ScriptLibrary: ...

    @property
    def situations(self) -> SituationDetector: ...


@dataclass
class FileScriptTools:
    library: ScriptLibrary
    situations: SituationDetector

    @classmethod
    def load(cls, project_root: Path) -> FileScriptTools:
        return cls(ScriptLibrary.from_dir(project_root), SituationDetector.from_file(project_root))

    @classmethod
    async def aload(cls, project_root: Path) -> FileScriptTools:
        return await asyncio.to_thread(cls.load, project_root)


async def script_tools(app: App) -> ScriptTools:
    stack = app.loaded("retrieval")  # already opened by another feature
    if stack is not None:
        return stack  # type: ignore[no-any-return]
    root = app.settings.project_root
    return await app.once("script_tools", lambda: FileScriptTools.load(root))  # type: ignore[no-any-return]
