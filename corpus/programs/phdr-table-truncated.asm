; e_phoff points so the table ends past EOF: ENOEXEC
%define E_PHOFF filesize - 20
%include "hello-elf.inc"
