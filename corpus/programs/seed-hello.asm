; seed-hello.asm: a complete ELF64 executable written by hand in NASM, in the classic
; tiny-ELF tutorial style: one ELF header, one PT_LOAD program header, then a 32-bit-ABI
; (int 0x80) hello world. Assemble with:  nasm -f bin -o seed-hello seed-hello.asm
; (or: golf asm seed-hello.asm -o seed-hello)

BITS 64
        org     0x400000                ; where the single segment is mapped

ehdr:                                   ; Elf64_Ehdr
        db      0x7f, "ELF"             ; e_ident: magic
        db      2, 1, 1, 0              ;   ELFCLASS64, little-endian, version 1, System V ABI
        times 8 db 0                    ;   padding
        dw      2                       ; e_type: ET_EXEC
        dw      62                      ; e_machine: x86-64
        dd      1                       ; e_version
        dq      _start                  ; e_entry
        dq      phdr - $$               ; e_phoff
        dq      0                       ; e_shoff
        dd      0                       ; e_flags
        dw      ehdrsize                ; e_ehsize
        dw      phdrsize                ; e_phentsize
        dw      1                       ; e_phnum
        dw      0                       ; e_shentsize
        dw      0                       ; e_shnum
        dw      0                       ; e_shstrndx
ehdrsize equ $ - ehdr

phdr:                                   ; Elf64_Phdr
        dd      1                       ; p_type: PT_LOAD
        dd      5                       ; p_flags: R + X
        dq      0                       ; p_offset
        dq      $$                      ; p_vaddr
        dq      $$                      ; p_paddr
        dq      filesize                ; p_filesz
        dq      filesize                ; p_memsz
        dq      0x1000                  ; p_align
phdrsize equ $ - phdr

_start:
        mov     eax, 4                  ; write (32-bit system call number)
        mov     ebx, 1                  ;   fd: stdout
        mov     ecx, msg                ;   buffer (below 4 GiB, so the 32-bit ABI can pass it)
        mov     edx, msglen             ;   length
        int     0x80
        xor     eax, eax                ; exit (eax = 1)
        inc     eax
        xor     ebx, ebx                ;   status 0
        int     0x80

msg:    db      "Hello, World!", 10
msglen  equ     $ - msg

filesize equ $ - $$
