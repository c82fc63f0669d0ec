"""jixiao (绩效): score and audit Chinese budget performance self-evaluation forms (预算绩效自评表).

The core — :mod:`model`, :mod:`targets`, :mod:`rules`, :mod:`scoring`, :mod:`audit` — is plain
Python; :mod:`io` reads and writes files, :mod:`report` renders, :mod:`cli` and :mod:`web` are thin
layers on top.
"""

__version__ = "0.1.0"
