; 1171 program headers (65576 bytes > 64 KiB): ENOEXEC
%define E_PHNUM 1171
%include "hello-elf.inc"
