import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class ConnectQuery {
  @ApiProperty({ description: 'Graph user id or user principal name', example: 'AdeleV@contoso.onmicrosoft.com' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(320)
  user!: string;

  @ApiPropertyOptional({ description: 'Where to send the browser after connecting; must sit under ALLOWED_RETURN_URLS' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  returnUrl?: string;
}

export class ConnectUrlResponse {
  @ApiProperty({ description: 'The Microsoft authorize URL to open in the browser' })
  url!: string;
}

export class ConnectionResponse {
  @ApiProperty()
  connected!: boolean;

  @ApiProperty({ type: [String], example: ['Calendars.ReadWrite'] })
  scopes!: string[];

  @ApiProperty({ type: String, nullable: true, description: 'Expiry of the current access token (UTC)' })
  expiresAt!: string | null;
}
