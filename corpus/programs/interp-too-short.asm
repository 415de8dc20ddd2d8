; PT_INTERP with p_filesz 1: ENOEXEC
%define E_PHNUM 2
%macro extra_phdrs 0
  dd 3, 4
  dq 0, 0, 0, 1, 1, 1
%endmacro
%include "hello-elf.inc"
