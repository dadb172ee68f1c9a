"""One module per claim of the notes (or per tight group of claims), named ``c<first id>_<topic>``.

Each module registers its experiments with :func:`whiteboard.experiments.registry.experiment`;
:func:`whiteboard.experiments.registry` imports every module here.
"""
