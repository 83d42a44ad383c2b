"""Two-way sync of the open interviews' steps with a CalDAV task list.

The engine (`engine.sync`) works against a narrow local side (`local.LocalSide`:
the steps as `LocalStep`s in, one `LocalChanges` out, applied by the store as
one journal entry) and a CalDAV list reached through python-caldav
(`remote.Remote`). What both sides last agreed on is kept per to-do in the
sync state file (`state.SyncState`), the base of a three-way merge
(`merge.merge`). Only `followup sync` imports this package: caldav is an
optional dependency (`pip install 'followup[sync]'`), and the daily commands
never touch the network.
"""
