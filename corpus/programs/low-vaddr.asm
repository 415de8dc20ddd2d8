; loaded at 0x1000, below the usual vm.mmap_min_addr: runs only as root or with mmap_min_addr <= 0x1000
%define ORG 0x1000
%include "hello-elf.inc"
