; a PT_LOAD with only PF_R: instruction fetch faults (SIGSEGV)
%define P_FLAGS 4
%include "hello-elf.inc"
