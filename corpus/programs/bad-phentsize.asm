; e_phentsize 32: ENOEXEC
%define E_PHENTSIZE 32
%include "hello-elf.inc"
