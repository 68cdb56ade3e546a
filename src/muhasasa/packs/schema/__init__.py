"""One pydantic schema per kind of pack file: the single description of its fields.

Each schema refuses unknown keys and uses every field it declares; its checks run as
validators with the pack at hand (``info.context``) and raise
:class:`~muhasasa.packs.toml.Problem` at a path of the file, so that every mistake is
located the same way (:mod:`muhasasa.packs.toml`, :mod:`muhasasa.packs.csv`).
"""
