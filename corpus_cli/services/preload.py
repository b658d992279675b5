"""What the reading processes need before their first file, made once in their fork server.

Imported by the fork server of :class:`~corpus_cli.services.reading.Reader` only (its
``set_forkserver_preload``): each reading process is a fork of that server and starts
with these already made, instead of making them itself. The date patterns take ~80 ms
to compile and the language model (numpy and py3langid's arrays) ~60 ms to load: paid
once per ingest here, not once per reading process.
"""

import contextlib

from corpus_cli.text import dates, detect

# The fork server dies on an exception here (it ignores only ImportError), and every
# read with it; whatever fails here, each reading process meets again and reports.
with contextlib.suppress(Exception):
    dates.compile_patterns()
    detect.load_model()
