"""The scripts library and the admin upload of a Markdown script."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.domain import BehaviourType, Situation
from bot.services.knowledge.corpus import SCRIPTS_COLLECTION, ScriptFormatError
from bot.services.knowledge.stack import RetrievalStack

from .conftest import script_md

GOOD = script_md(
    "complaint",
    "emotional_unconfident",
    "Жалоба — эмоциональный неуверенный",
    "Сначала поддержите: скажите, что понимаете, как это неприятно, и что вы лично займётесь вопросом.",
    keywords="[жалоба, брак, поддержка]",
)


def test_get_falls_back_to_the_type_neutral_script(stack: RetrievalStack) -> None:
    exact = stack.library.get(BehaviourType.NONEMOTIONAL_CONFIDENT, Situation.PRICE_OBJECTION)
    assert exact is not None and exact.id == "price_objection.nonemotional_confident"
    fallback = stack.library.get("emotional_unconfident", "price_objection")
    assert fallback is not None and fallback.id == "price_objection.undetermined"
    assert stack.library.get("emotional_unconfident", "renewal") is None


def test_alternatives(stack: RetrievalStack) -> None:
    alternatives = stack.library.alternatives("nonemotional_unconfident", "delay_notice")
    assert [s.id for s in alternatives.same_situation] == ["delay_notice.undetermined"]
    assert alternatives.same_type == ()
    other = stack.library.alternatives("undetermined", "price_objection")
    assert [s.id for s in other.same_situation] == ["price_objection.nonemotional_confident"]
    assert [s.id for s in other.same_type] == ["delay_notice.undetermined"]


def test_render_reply_with_and_without_variables(stack: RetrievalStack) -> None:
    script = stack.library.get("undetermined", "price_objection")
    assert script is not None
    bare = stack.library.render_reply(script)
    assert bare == "Здравствуйте! предлагаем созвониться."
    full = stack.library.render_reply(script, deal="Поставка плёнки", next_date=date(2031, 3, 12))
    assert "«Поставка плёнки»" in full and "12 марта 2031 г." in full


def test_unguarded_variables_show_a_visible_gap(stack: RetrievalStack) -> None:
    text = GOOD.replace(GOOD.split("## Шаблон ответа\n")[1], "Вопрос по «{{ deal }}» решим до {{ next_date }}.\n")
    script = stack.add_script(text).script
    assert stack.library.render_reply(script) == "Вопрос по «[сделка]» решим до [дата]."
    assert (
        stack.library.render_reply(script, deal="заказу 17", next_date="пятницы")
        == "Вопрос по «заказу 17» решим до пятницы."
    )


def test_upload_adds_a_script_and_it_is_searchable(stack: RetrievalStack) -> None:
    upload = stack.add_script(GOOD.encode("utf-8"))
    assert not upload.replaced
    assert upload.path == stack.project_root / "scripts_library" / "complaint" / "emotional_unconfident.md"
    assert upload.path.read_text(encoding="utf-8") == GOOD
    assert upload.chunks[0] == 7 and "добавлен" in upload.message_ru()
    assert stack.library.get("emotional_unconfident", "complaint") == upload.script
    found = stack.library.search("пришла бракованная партия, клиентка расстроена", type_="emotional_unconfident")
    assert found[0].script.id == "complaint.emotional_unconfident"
    assert not stack.reindex().changed  # the upload already indexed it


def test_upload_replaces_and_reindexes_only_changed_chunks(stack: RetrievalStack) -> None:
    stack.add_script(GOOD)
    changed = GOOD.replace("вы лично займётесь вопросом", "вы лично займётесь вопросом сегодня же")
    upload = stack.add_script(changed)
    assert upload.replaced and upload.chunks == (0, 1, 0, 6)
    assert len(stack.store.manifest(SCRIPTS_COLLECTION, where={"doc_id": "complaint.emotional_unconfident"})) == 7


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Просто текст без заголовка", "нет YAML-заголовка"),
        (GOOD.replace("type: emotional_unconfident", "type: angry"), "неизвестный тип «angry»"),
        (GOOD.replace("situation: complaint", "situation: smalltalk"), "неизвестная ситуация «smalltalk»"),
        (GOOD.replace("id: complaint.emotional_unconfident", "id: complaint.x"), "не совпадает"),
        (GOOD.replace("goal: Жалоба — эмоциональный неуверенный\n", ""), "не заполнены поля: goal"),
        (GOOD.replace("## Чего избегать", "## Прочее"), "«## Чего избегать»"),
        (GOOD.replace("{{ deal }}", "{{ client.name }}"), "неизвестные переменные: client"),
        (GOOD.replace("{% endif %}.", "."), "не компилируется"),
        (GOOD.replace("{{ deal }}", "{{ deal.__class__ }}"), "не отрисовывается"),
        ("---\nid: [unclosed\n---\n", "YAML"),
    ],
)
def test_malformed_upload_is_refused_with_a_reason(stack: RetrievalStack, text: str, reason: str) -> None:
    before = sorted(p.as_posix() for p in (stack.project_root / "scripts_library").rglob("*"))
    with pytest.raises(ScriptFormatError) as error:
        stack.add_script(text)
    assert reason in str(error.value)
    assert sorted(p.as_posix() for p in (stack.project_root / "scripts_library").rglob("*")) == before


def test_upload_refuses_non_utf8_and_huge_files(stack: RetrievalStack) -> None:
    with pytest.raises(ScriptFormatError, match="UTF-8"):
        stack.add_script(GOOD.encode("cp1251"))
    with pytest.raises(ScriptFormatError, match="слишком большой"):
        stack.add_script(b"x" * 70_000)


async def test_async_upload(stack: RetrievalStack, project: Path) -> None:
    upload = await stack.aadd_script(GOOD)
    assert upload.path.exists()
