; A 32-bit process's stack is below 4 GiB, so int 0x80 can write a buffer on it (from 64-bit code it gets EFAULT). Prints "Hi!" and exits 0
%include "elf32-header.inc"
_start:
  push dword 0x0a216948       ; "Hi!\n"
  mov eax, 4
  mov ebx, 1
  mov ecx, esp
  mov edx, 4
  int 0x80
  mov eax, 1
  xor ebx, ebx
  int 0x80
filesize equ $ - $$
