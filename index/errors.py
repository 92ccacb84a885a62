"""`UserError` lives in the top-level `errors` module; this name stays for index/embedder.py (the speed
work's file) until its import moves there too."""

from errors import UserError as UserError
