"""HTTP views: sign-in, the unit's forms and entry page, the bureau's review dashboard."""
