"""Shared code of the evidence book on the Urban Agenda Partnership on Inclusion of Migrants and Refugees."""

__version__ = "0.2.0"
