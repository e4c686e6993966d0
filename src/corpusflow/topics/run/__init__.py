"""The work of each topics rule, as ``<rule>(inputs, settings)`` (the stage contract).

Each function takes the rule's ``snakemake.input`` (named input files) and the stage's
:class:`~corpusflow.topics.settings.TopicsSettings`, reads its inputs through
:mod:`corpusflow.io` and returns what the rule's script writes; the scripts only read
``snakemake.*``, build the settings, call one of these and write. Values that depend on the
job (the sweep part's K values) or on free text outside the topics section (the groups) come
as keyword arguments.

One module per rule (or per map and reduce of one step), importing nothing here: a rule's
code fingerprint (:func:`corpusflow.provenance.code_fingerprint`) follows the modules its
script imports, so an edit to the figures' code reruns the figures, not the sweep.
"""
