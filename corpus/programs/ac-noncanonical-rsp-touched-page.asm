; Counterpart of ac-noncanonical-rsp-first-touch: the data page is touched BEFORE rsp becomes
; non-canonical, so cmova's read is no first touch, #AC stays on and the movsxd dies of SIGBUS.
%define TOUCH_DATA_FIRST
%include "ac-noncanonical-rsp.inc"
