"""The base of every model: its validator is built when the model is first used, not when its module is imported,
so a cold start pays only for the models its request touches (a handler imports the models of all its routes)."""

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(defer_build=True)
