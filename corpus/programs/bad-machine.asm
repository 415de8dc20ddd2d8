; e_machine 40 (ARM): ENOEXEC
%define E_MACHINE 40
%include "hello-elf.inc"
