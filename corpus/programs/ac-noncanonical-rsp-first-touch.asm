; RFLAGS.AC set, rsp made non-canonical by bswap, then the first touch of the untouched data page
; (cmova's read): on the reference host this suspends #AC while rsp stays non-canonical, so the
; misaligned 32-bit movsxd (44 63, no REX.W) loads without SIGBUS (fuzz instructions case 9945,
; seed 20261129). Exits 0 if the dword was loaded; without the suspension it would die of SIGBUS.
%include "ac-noncanonical-rsp.inc"
