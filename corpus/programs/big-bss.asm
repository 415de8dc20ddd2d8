; 4.3 GiB of anonymous memory after the code: needs the memory-commit policy to allow it; touches its last page
%define P_FLAGS 7
%define P_MEMSZ 0x113000000
%include "elf64-header.inc"
_start:
  mov rax, 0x400000 + 0x113000000 - 8
  mov qword [rax], 1
  mov edi, [rax]
  mov eax, 60
  syscall
filesize equ $ - $$
