; movsxd with a 66 prefix (66 63 /r) on the last 2 bytes of the mapping. The reference CPU (AMD)
; reads a dword source at every operation size (Intel's SDM lists 66 63 as movsxd r16, r/m16), so the
; read runs into the unmapped page above: SIGSEGV. A word read at the same address comes first and
; must not fault. nasm has no spelling for 66 63 (it knows only movsxd r64, r/m32): db.
%include "elf64-header.inc"
_start:
  mov ebx, ORG + 0x1000 - 2
  mov ax, [rbx]               ; 2 bytes: readable
  db 0x66, 0x63, 0x03         ; movsxd ax, [rbx]: 4 bytes, the last 2 unmapped
  xor edi, edi
  mov eax, 60
  syscall
filesize equ $ - $$
