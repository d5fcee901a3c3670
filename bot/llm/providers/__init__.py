"""One module per provider family: how to build its LangChain chat model from settings and read its errors."""
