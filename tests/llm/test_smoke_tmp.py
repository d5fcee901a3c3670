from bot.llm import SuggestionOut
from tests.llm.conftest import SUGGESTION_VARS, CONTACT


async def test_smoke(make_gateway, fake_llm):
    gw = make_gateway()
    r = await gw.run("suggestion", SUGGESTION_VARS, SuggestionOut, known_names=[CONTACT])
    print(r)
    print(fake_llm.messages(fake_llm.requests[0])["user"])
