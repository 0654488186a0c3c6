"""Scheduled harvests: remember what was delivered, emit only what is new or changed, and
never lose or duplicate a record when a run dies (``HARVEST_STATE_DIR``)."""
