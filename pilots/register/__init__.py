"""The municipality register: counties, municipalities and SSB's centrality index as
they were in each edition, how they are loaded, and the eligibility rule that
judges municipalities by their centrality class."""
