; ET_DYN without interpreter, position-independent: runs wherever the kernel puts it
%define ORG 0
%define E_TYPE 3
%include "hello-elf.inc"
