; Lucas Ransan's 80-byte program that exits with status 0 (target "true"), rebuilt from the
; source published at https://github.com/luc65r/tinyelf (tiny.asm). golf's own writing of the
; same bytes for `nasm -f bin` / `golf asm`; the comments are golf's.
;
; ET_EXEC with the program header at 0x18: e_entry doubles as p_type = 1 and p_flags = 5, so the
; entry is 0x500000001 (offset 1, "ELF" as REX prefixes) and the file is loaded at 0x500000000.
BITS 64
org 0x500000000
        db      0x7f
        db      "ELF"                   ; REX prefixes of the next instruction
        push    60                      ; exit
        pop     rax
        syscall                         ; exit(rdi = 0)
        times 7 db 0                    ; rest of e_ident
        dw      2                       ; e_type ET_EXEC
        dw      62                      ; e_machine
        dd      1                       ; e_version
        dd      1                       ; e_entry low          = p_type: PT_LOAD
        dd      5                       ; e_entry high         = p_flags: R+X
        dq      0x18                    ; e_phoff              = p_offset
        dq      0x500000018             ; e_shoff              = p_vaddr
        dd      0                       ; e_flags              = p_paddr (ignored)
        dw      0                       ; e_ehsize
        dw      56                      ; e_phentsize
        dw      1                       ; e_phnum              = p_filesz: 1
        dw      0, 0, 0                 ; e_shentsize, e_shnum, e_shstrndx
        dq      1                       ; p_memsz: 1
        dq      0                       ; p_align (ignored for ET_EXEC)
