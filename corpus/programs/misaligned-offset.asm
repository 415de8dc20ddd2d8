; p_offset and p_vaddr differ modulo 4096: killed at exec
%define E_ENTRY _start + 0x10
%define P_VADDR 0x400010
%include "hello-elf.inc"
