//! drmgr-sim: the host side of the DLPAR script protocol.
