"""Computation per chapter: tables and summary numbers, never drawing.

One module per chapter notebook (``intro``, ``partnership``, ``health`` for
chapter 1, ``mental_health`` 2, ``culture`` 3, ``lgbtqi`` 4, ``regional`` 5,
``funding`` 6, ``children`` 7); what several chapters share lives in ``common``
(names, flags, rates, group comparisons, MIPEX, city matching) and
``synthesis_views`` (tables from the Action Plan syntheses). No chapter module
imports another (``tests/test_layers.py``).
"""
