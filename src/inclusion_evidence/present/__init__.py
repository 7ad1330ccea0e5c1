"""Drawing and page helpers: figures and tables with their source lines, charts, maps, chapter furniture."""
