"""The explorer: a bilingual (English, Arabic) web app and JSON API over the whole pipeline.

A face, like the CLI: it translates HTTP into library calls and back and computes nothing
itself. Build the app with :func:`muhasasa.web.app.create_app`; run it with
``muhasasa serve``. Needs the ``web`` extra (FastAPI, uvicorn, Jinja2).
"""
