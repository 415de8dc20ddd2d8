; write(1) + exit(0) through the 64-bit syscall table
%include "hello-elf.inc"
