; Writes the low byte of every auxv key of a 32-bit process (4-byte entries, AT_SYSINFO first) and the AT_PLATFORM string
%include "elf32-header.inc"
_start:
  mov ebx, esp
  mov ecx, [ebx]
  lea ebx, [ebx + ecx*4 + 8]    ; envp
.env:
  add ebx, 4
  cmp dword [ebx - 4], 0
  jne .env
  sub esp, 256
  mov edi, esp
  xor ebp, ebp
.aux:
  mov eax, [ebx]
  stosb
  cmp eax, 15
  jne .next
  mov ebp, [ebx + 4]
.next:
  add ebx, 8
  test eax, eax
  jnz .aux
  mov esi, ebp
  mov ecx, 5
  rep movsb
  mov edx, edi
  sub edx, esp
  mov ecx, esp
  mov eax, 4
  mov ebx, 1
  int 0x80
  mov eax, 1
  xor ebx, ebx
  int 0x80
filesize equ $ - $$
