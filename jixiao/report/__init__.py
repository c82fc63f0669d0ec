"""Exporters and reports: the official layout (xlsx, PDF) and a readable report (HTML, Markdown).

Every writer has the same signature ``write(form, card, findings, path, layout=None)``:
``card`` is the :class:`~jixiao.scoring.Scorecard` (or None for the form as declared),
``findings`` the audit :class:`~jixiao.audit.Finding` list. Layouts are data in ``layouts/``.
"""
