"""Offline behaviour-type classifier: lexicons and style features, a small linear model, history aggregation.

Import the engine from `bot.classifier.engine` (this package init stays light so that `python -m bot` does not
load the morphology dictionaries before they are needed).
"""
