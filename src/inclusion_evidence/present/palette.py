"""The book's colours: one leaf module that figures, maps, charts and the interactive twins share."""

# Okabe-Ito's blue, bluish green, vermillion, reddish purple and black, with its three light colours
# (orange, sky blue, yellow: 1.3-2.3 : 1 against white) replaced by brown, violet and wine, so that
# every line and marker has at least 3 : 1 contrast against white (WCAG 2.1, non-text contrast).
# Under simulated protanopia, deuteranopia and tritanopia (Machado et al. 2009) the closest pair
# stays at least as far apart (CIELAB distance) as in Okabe-Ito's own palette: tests/test_style.py.
PALETTE = ["#0072B2", "#8F4724", "#009E73", "#D55E00", "#CC79A7", "#772BE1", "#A71878", "#000000"]
NO_DATA_COLOUR = "#d9d9d9"
SEQUENTIAL = "YlGnBu"
DIVERGING = "RdBu_r"
