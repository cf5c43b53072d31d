"""What sealing a private entry's drawings and photos costs in a clinic (issue 19 item 4), in process, no database.

Prints the median of several runs, with the load average:
  * sealing one photo as it is stored (its image, thumbnail and caption), by the patient's own
    request and to the public key (an import, a job);
  * opening one photo's image (the picture page), one thumbnail, and the captions of 50
    thumbnails (a timeline page of 50 private pictures).

    .venv/bin/python bench/bench_private_pictures.py
"""

from __future__ import annotations

import os
import uuid
from contextlib import ExitStack
from unittest import mock

from bench_private import median_ms  # this folder is first on the path when run as a script

from afterglow.journal import private

IMAGE = os.urandom(1_500_000)  # a phone photo after re-encoding (JPEG: its bytes look random too)
THUMB = os.urandom(30_000)
CAPTION = b"The river at dusk, after the third session"


def _context(uid: uuid.UUID, column: str) -> str:
    return f"afterglow picture {uid} of 1: {column}"


def main() -> None:
    secret, public = private.new_key_pair()
    uid = uuid.uuid4()

    columns = (("image", IMAGE), ("thumb", THUMB), ("caption", CAPTION))

    def seal_photo() -> list[bytes]:
        return [private.seal_blob(1, data, _context(uid, c)) for c, data in columns]

    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(private, "public_key_of", lambda owner_id: public))
        by_job = median_ms(seal_photo, 20)
        stack.enter_context(private.opening(1, secret))
        by_owner = median_ms(seal_photo, 20)
        image, thumb, _ = seal_photo()
        uids = [uuid.uuid4() for _ in range(50)]
        captions = [(u, private.seal_blob(1, CAPTION, _context(u, "caption"))) for u in uids]
        figures = {
            "seal one photo (1.5 MB, thumbnail, caption), by its patient": by_owner,
            "seal one photo to the public key (an import, a job)": by_job,
            "open one photo's image (1.5 MB)": median_ms(lambda: private.open_blob(1, image, _context(uid, "image")), 20),
            "open one thumbnail (30 kB)": median_ms(lambda: private.open_blob(1, thumb, _context(uid, "thumb")), 200),
            "open 50 captions (a timeline page of pictures)": median_ms(
                lambda: [private.open_blob(1, s, _context(u, "caption")) for u, s in captions], 20
            ),
        }
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    for name, ms in figures.items():
        print(f"{name:62s} {ms:8.3f} ms")


if __name__ == "__main__":
    main()
