"""The shared fake server itself: what other suites get when they import the `fake_openai` fixture."""

from __future__ import annotations

import openai

from tests.support.fake_openai import FakeOpenAI, rate_limited


async def test_shared_fixture_answers_records_and_fails_on_demand(fake_openai: FakeOpenAI) -> None:
    client = openai.AsyncOpenAI(base_url=fake_openai.base_url, api_key="k", max_retries=0)
    reply = await client.chat.completions.create(model="m", messages=[{"role": "user", "content": "привет"}])
    assert reply.choices[0].message.content == '{"reply": "Добрый день!", "notes": null}'
    assert fake_openai.messages(fake_openai.requests[0]) == {"user": "привет"}

    fake_openai.queue(rate_limited(retry_after=7))
    try:
        await client.chat.completions.create(model="m", messages=[{"role": "user", "content": "ещё"}])
    except openai.RateLimitError as exc:
        assert exc.response.headers["retry-after"] == "7"
    else:
        raise AssertionError("the queued 429 was not served")
    assert "ещё" in fake_openai.sent_text()
