"""Computing the series: the registry's table run over the inputs, the site's own metrics, checks, the team."""
