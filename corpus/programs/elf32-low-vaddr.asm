; A segment at 0x1000: below vm.mmap_min_addr (65536 on distributions) unless root (SIGSEGV), runs as root. Exits 42
%define ORG 0x1000
%include "elf32-header.inc"
_start:
  mov ebx, 42
  mov eax, 1
  int 0x80
filesize equ $ - $$
