"""The write stage: the only writer of the build, and the only code that deletes from an output folder.

- `ownership`: what of an output folder is opensite's (the files its marker lists); which folders it
  refuses to write or clean at all;
- `state`: what output/ holds per the build cache's manifest, so unchanged files are kept, not written;
- `writer`: a complete build next to output/, swapped in (or small updates in place), keeping files
  opensite did not write;
- `clean`: `opensite clean --output`, deleting only the files the marker lists.

Every file goes through `atomic.write_atomic`: temporary file, rename, never through a symbolic link.
"""

from __future__ import annotations

from pathlib import Path

from generator.cache import cache_problem
from generator.write.clean import CleanedOutput, check_clean_target, clean_output
from generator.write.ownership import DEFAULT_OUTPUT, MARKER, SOURCE_FOLDERS, Ownership, check_output_dir
from generator.write.state import FileRecord, OutputState, load_output_state, save_output_state
from generator.write.writer import WriteReport, remove_leftovers, write_output

__all__ = ["DEFAULT_OUTPUT", "MARKER", "SOURCE_FOLDERS", "CleanedOutput", "FileRecord", "OutputState", "Ownership",
           "WriteReport", "check_clean_target", "check_output_dir", "clean_output", "load_output_state",
           "prepare_output", "remove_leftovers", "save_output_state", "write_output"]


def prepare_output(output: Path, site_root: Path, *, use_cache: bool
                   ) -> tuple[Ownership, OutputState | None, str | None]:
    """Check `output` may be written and return what opensite owns in it, the cached state, and a note.

    The build cache's manifest also vouches for the files of a folder an older opensite made (whose marker
    lists nothing), so upgrading does not refuse the site's own output/.
    """
    if cache_problem(site_root) is None:  # never read through a linked or broken cache folder
        state, note = load_output_state(site_root, output)
    else:
        state, note = OutputState(output.resolve(), {}), None
    ownership = check_output_dir(output, site_root, legacy=state.records)
    return ownership, (state if use_cache else None), (note if use_cache else None)
