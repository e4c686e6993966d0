"""The explorer page: one self-contained, offline HTML file to read the evidence behind the tables.

The stage contract (docs/development.md): :class:`~corpusflow.explorer.settings.ExplorerSettings`
built once from the config; :func:`corpusflow.explorer.stage.run` reads the other stages' outputs
(:mod:`~corpusflow.explorer.sources`), assembles the views and returns the page to write. The
views are pure functions of those sources, returning plain, JSON-ready structures:
:mod:`~corpusflow.explorer.keyness` (the table and its KWIC lines),
:mod:`~corpusflow.explorer.topics`, :mod:`~corpusflow.explorer.cleaning`, and
:mod:`~corpusflow.explorer.capping` for very long documents; :mod:`~corpusflow.explorer.page`
renders them. Tables written by other stages are read defensively: columns are rendered
generically from the table itself, so a column added by another stage shows up without a
change here. Nothing is imported here, so the workflow imports the settings at parse time
without pandas.
"""
