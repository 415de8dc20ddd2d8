; e_entry above TASK_SIZE: killed at exec
%define E_ENTRY 0x800000000000
%include "hello-elf.inc"
