; p_filesz > p_memsz: killed at exec (SIGSEGV)
%define P_MEMSZ filesize - 1
%include "hello-elf.inc"
